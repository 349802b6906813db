import { mount } from 'svelte';
import App from './App.svelte';
// The design tokens every component reads (colours, type scale, spacing; the presentation theme).
import './styles/tokens.css';

const target = document.getElementById('app');
if (!target) throw new Error('Migrascope: no #app element to mount into');
export default mount(App, { target });

// Offline: the built app caches itself (public/sw.js). Not in development, where files change as you edit.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => {
    // A page served where service workers are not allowed (some iframes, file://) still works online.
  });
}
