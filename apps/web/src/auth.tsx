import type { User } from '@hitless/contracts';
import { can, type Permission } from '@hitless/core';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, SESSION_EXPIRED } from './api.ts';

interface AuthState {
  user: User | null;
  loading: boolean;
  /**
   * The one-time password just typed at login, while that user must still choose their own: the
   * first-login form sends it instead of asking for it again. Held in memory only (never storage),
   * forgotten at logout, after the change and on a reload.
   */
  oneTimePassword: string | null;
  forgetOneTimePassword(): void;
  login(username: string, password: string): Promise<User>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
  can(permission: Permission): boolean;
}

const AuthContext = createContext<AuthState | null>(null);
const ME = ['auth', 'me'] as const;

/** Drops every cached query but the session's own (whose observer must stay attached). */
function forgetOthers(queryClient: QueryClient) {
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME[0] });
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [oneTimePassword, setOneTimePassword] = useState<string | null>(null);
  const me = useQuery({
    queryKey: ME,
    queryFn: async () => {
      try {
        return (await api.get<{ user: User }>('/api/v1/auth/me')).user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    retry: false,
  });

  useEffect(() => {
    const onExpired = () => {
      setOneTimePassword(null);
      queryClient.setQueryData(ME, null);
    };
    window.addEventListener(SESSION_EXPIRED, onExpired);
    return () => window.removeEventListener(SESSION_EXPIRED, onExpired);
  }, [queryClient]);

  const login = useCallback(
    async (username: string, password: string) => {
      const { user } = await api.post<{ user: User }>('/api/v1/auth/login', { username, password });
      setOneTimePassword(user.mustChangePassword ? password : null);
      forgetOthers(queryClient);
      queryClient.setQueryData(ME, user);
      return user;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    setOneTimePassword(null);
    try {
      await api.post('/api/v1/auth/logout');
    } finally {
      // Even if the server is unreachable, this browser forgets the session's data.
      forgetOthers(queryClient);
      queryClient.setQueryData(ME, null);
    }
  }, [queryClient]);

  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: ME });
  }, [queryClient]);

  const forgetOneTimePassword = useCallback(() => setOneTimePassword(null), []);

  const user = me.data ?? null;
  const value = useMemo<AuthState>(
    () => ({
      user,
      loading: me.isPending,
      oneTimePassword: user?.mustChangePassword ? oneTimePassword : null,
      forgetOneTimePassword,
      login,
      logout,
      refresh,
      can: (p) => (user ? can(user.role, p) : false),
    }),
    [user, me.isPending, oneTimePassword, forgetOneTimePassword, login, logout, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
