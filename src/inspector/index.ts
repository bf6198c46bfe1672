// Chooses the back-end for the machine the extension (or CLI) runs on. Linux reads /proc; macOS and
// Windows use their own tools; anything else goes through systeminformation.
import type { ContainerLookupOptions } from './containers/containerLookup';
import { ContainerAwareBackend } from './containers/containerLookup';
import { DarwinBackend } from './darwin/darwinBackend';
import { SystemInformationBackend } from './fallback/systemInformationBackend';
import type { LinuxBackendOptions } from './linux/linuxBackend';
import { LinuxBackend } from './linux/linuxBackend';
import type { Backend } from '../core/types';
import { WindowsBackend } from './windows/windowsBackend';

export interface CreateBackendOptions {
  platform?: NodeJS.Platform;
  linux?: LinuxBackendOptions;
  /** Name the containers behind sockets (default on); false for a bare back-end. */
  containers?: ContainerLookupOptions | false;
}

/** A back-end for `platform` (default: this process's platform). */
export function createBackend(options: CreateBackendOptions = {}): Backend {
  const backend = createOsBackend(options);
  return options.containers === false ? backend : new ContainerAwareBackend(backend, options.containers);
}

function createOsBackend(options: CreateBackendOptions): Backend {
  switch (options.platform ?? process.platform) {
    case 'linux':
    case 'android':
      return new LinuxBackend(options.linux);
    case 'darwin':
      return new DarwinBackend();
    case 'win32':
      return new WindowsBackend();
    default:
      return new SystemInformationBackend();
  }
}
