import { useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Me } from '../api/queries';
import { session, type Session } from './session';

export type { Me };

export function useSession(): Session | null {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}

export const ME_KEY = ['me'] as const;

/** The signed-in user; loaded once per session and refreshed after a password change. */
export function useMe() {
  const s = useSession();
  return useQuery({
    queryKey: ME_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/me')),
    enabled: !!s && !s.mustChangePassword,
    staleTime: 5 * 60_000,
  });
}

/** Permission checks for the signed-in user. */
export function useAccess() {
  const { data: me } = useMe();
  const granted = new Set(me?.permissions ?? []);
  return { me, granted, has: (p: string) => granted.has(p) };
}
