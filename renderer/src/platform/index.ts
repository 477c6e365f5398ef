import { browserPlatform } from './browser-platform';
import { desktopPlatform } from './desktop-platform';
import type { DesktopBridge, Platform } from './platform';

export type { Platform } from './platform';

declare global {
  interface Window {
    migrationDesk?: DesktopBridge;
  }
}

function detectPlatform(): Platform {
  const bridge = window.migrationDesk;
  return bridge?.platform === 'desktop' ? desktopPlatform(bridge) : browserPlatform();
}

/** The shell this page runs in, decided once at startup. */
export const platform: Platform = detectPlatform();
