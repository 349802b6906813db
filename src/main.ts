import { mount } from 'svelte';
import App from './App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('Migrascope: no #app element to mount into');
export default mount(App, { target });
