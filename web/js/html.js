// htm bound to Preact's h: JSX-like templates without a build step.
import { h } from 'preact';
import htm from 'htm';

/** Tagged template that builds Preact elements. */
export const html = htm.bind(h);
