/** A migration host in its own thread: the Host class, exposed through Comlink. */
import { expose } from 'comlink';
import { Host } from './host/host';

const host = new Host();
expose(host);
