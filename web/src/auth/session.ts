import type { LoginResponse } from '../api/queries';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  mustChangePassword: boolean;
  username: string;
}

const STORAGE_KEY = 'chedai.session';
type Listener = () => void;

let current: Session | null = load();
const listeners = new Set<Listener>();

function load(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function save(s: Session | null) {
  current = s;
  try {
    if (s) localStorage.setItem(STORAGE_KEY, JSON.stringify(s));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // The session then lives for this tab only.
  }
  listeners.forEach((l) => l());
}

/** The signed-in session, kept in localStorage so a reload keeps the user signed in. */
export const session = {
  get: (): Session | null => current,
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  fromLogin(res: LoginResponse): Session {
    const s: Session = {
      accessToken: res.accessToken,
      refreshToken: res.refreshToken,
      expiresAt: Date.now() + res.expiresIn * 1000,
      mustChangePassword: res.mustChangePassword,
      username: res.user.username,
    };
    save(s);
    return s;
  },
  markMustChangePassword() {
    if (current && !current.mustChangePassword) save({ ...current, mustChangePassword: true });
  },
  clear() {
    if (current) save(null);
  },
};

// Another tab signing in or out changes this tab too.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === STORAGE_KEY) {
      current = load();
      listeners.forEach((l) => l());
    }
  });
}
