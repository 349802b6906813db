/** A migration host's channel worker in its own thread: the flat host API, exposed through Comlink. */
import { expose } from 'comlink';
import { makeHostApi } from './host/api';

expose(makeHostApi());
