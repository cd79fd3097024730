// Dark by default (wall screens), light on request; the choice is this browser's, kept in
// localStorage and applied before the first paint (main.tsx) so the page never flashes.
import { useCallback, useState } from 'react';

export type Theme = 'dark' | 'light';
const KEY = 'hitless:theme';

export function storedTheme(): Theme {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

export function applyTheme(theme: Theme) {
  document.documentElement.dataset.theme = theme;
}

export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const toggle = useCallback(() => {
    setTheme((t) => {
      const next: Theme = t === 'dark' ? 'light' : 'dark';
      applyTheme(next);
      try {
        localStorage.setItem(KEY, next);
      } catch {
        // Private windows may refuse storage: the theme then lasts for this page only.
      }
      return next;
    });
  }, []);
  return [theme, toggle];
}
