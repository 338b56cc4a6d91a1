import { mount } from 'svelte';
import './styles.css';
import App from './App.svelte';
import CustomerApp from './CustomerApp.svelte';

// One bundle, two windows: the customer display opens the same page at #customer.
const target = document.getElementById('app');
if (!target) throw new Error('#app missing from index.html');
if (location.hash === '#customer') mount(CustomerApp, { target });
else mount(App, { target });
