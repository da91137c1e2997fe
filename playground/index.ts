// The playground page: registers the elements; <sp-playground> in index.html does the rest.
import '../components/sp-playground.ts';
