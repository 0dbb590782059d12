import { useEffect, useRef, useState } from 'react';

/** A message of the live feed (`GET /api/v1/stream`). */
export interface LiveFeedMessage {
  type: string;
  subject_id?: string;
  at?: string;
  data?: Record<string, unknown>;
}

const MAX_BACKOFF_MS = 30_000;
// Bursts (a batch raising many alerts) become one call.
const DEBOUNCE_MS = 300;

/** The WebSocket URL of the live feed for the page's origin. */
export function liveFeedUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream`;
}

/**
 * Calls `onChange` (debounced) when the live feed announces an event whose
 * type starts with `prefix` (`alert.`, `case.`, `device.`). Reconnects with
 * backoff; where WebSocket is unavailable it does nothing, so callers keep
 * polling as the fallback. Returns whether the feed is connected.
 */
export function useLiveFeed(prefix: string, onChange: (message: LiveFeedMessage) => void): boolean {
  const [connected, setConnected] = useState(false);
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(() => {
    if (typeof WebSocket === 'undefined') return;
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let debounce: ReturnType<typeof setTimeout> | undefined;
    let backoff = 1_000;
    let stopped = false;
    const connect = () => {
      socket = new WebSocket(liveFeedUrl(window.location));
      socket.onopen = () => {
        backoff = 1_000;
        setConnected(true);
      };
      socket.onmessage = (e) => {
        let message: LiveFeedMessage;
        try {
          message = JSON.parse(String(e.data)) as LiveFeedMessage;
        } catch {
          return;
        }
        if (typeof message.type !== 'string' || !message.type.startsWith(prefix)) return;
        clearTimeout(debounce);
        debounce = setTimeout(() => callback.current(message), DEBOUNCE_MS);
      };
      socket.onclose = () => {
        setConnected(false);
        if (stopped) return;
        retry = setTimeout(connect, backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(debounce);
      socket?.close();
    };
  }, [prefix]);
  return connected;
}
