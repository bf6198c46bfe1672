// Registration of the port hovers: the provider is registered for the enabled file kinds' documents and
// registered again (with a new selector) when the settings change.
import * as vscode from 'vscode';
import type { PortFileKind } from '../model/portFinder';
import { portDocumentSelector } from './documentSelector';
import type { PortData } from './portData';
import { PortHoverProvider } from './portHoverProvider';
import { settings } from '../services/settings';
import type { PortFileSettings } from './fileSettings';
import { affectsPortFileSettings, portFileSettings } from './fileSettings';

export class PortHovers implements vscode.Disposable {
  private registration: vscode.Disposable | undefined;
  private settings: PortFileSettings = portFileSettings(settings.values());
  private readonly provider: PortHoverProvider;
  private readonly configSub: vscode.Disposable;

  constructor(data: PortData) {
    this.provider = new PortHoverProvider(data, (): ReadonlySet<PortFileKind> => this.settings.kinds);
    this.register();
    this.configSub = settings.onDidChange((change) => {
      if (affectsPortFileSettings(change)) {
        this.settings = portFileSettings(change.values);
        this.register();
      }
    });
  }

  private register(): void {
    this.registration?.dispose();
    this.registration = undefined;
    const selector = portDocumentSelector(this.settings.kinds);
    if (this.settings.hoverEnabled && selector.length > 0) {
      this.registration = vscode.languages.registerHoverProvider(selector, this.provider);
    }
  }

  dispose(): void {
    this.registration?.dispose();
    this.configSub.dispose();
  }
}
