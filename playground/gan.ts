// The GAN lab page: the MNIST / 2-D switch first (it takes <sp-gan> out before it is defined in
// 2-D mode), then the elements; <sp-gan> or <sp-gan-2d> in gan.html does the rest.
import './gan-mode.ts';
import '../components/gan/sp-gan.ts';
import '../components/gan2d/sp-gan-2d.ts';
