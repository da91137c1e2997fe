// The playground page: registers the elements; <sp-playground> in index.html does the rest.
import '../components/playground/sp-playground.ts';
