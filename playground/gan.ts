// The GAN lab page: registers the elements; <sp-gan> in gan.html does the rest.
import '../components/gan/sp-gan.ts';
