import { createContext, useContext } from 'react';
import { api, type HttpClient } from './http-client.ts';

/** Lets tests hand components a client over a fake fetch. */
export const HttpContext = createContext<HttpClient>(api);
export const useHttp = (): HttpClient => useContext(HttpContext);
