import * as assert from 'node:assert/strict';
import { documentKind, PORT_FILE_KINDS, portDocumentSelector } from '../../src/portsInFiles/documentSelector';
import type { PortFileKind } from '../../src/model/portFinder';

const doc = (fileName: string, languageId: string, scheme = 'file') => ({ fileName, languageId, uri: { scheme } });
const all = new Set(PORT_FILE_KINDS);

describe('port hover documents', () => {
  it('lists every kind the finder knows, once', () => {
    assert.equal(new Set(PORT_FILE_KINDS).size, PORT_FILE_KINDS.length);
    assert.equal(PORT_FILE_KINDS.length, 24);
    assert.ok(PORT_FILE_KINDS.includes('other'));
  });

  it('selects every file and untitled document when `other` (URLs anywhere) is on', () => {
    assert.deepEqual(portDocumentSelector(all), [{ scheme: 'file' }, { scheme: 'untitled' }]);
  });

  it('selects by language and by file name when only some kinds are on', () => {
    const selector = portDocumentSelector(['env', 'compose', 'dockerfile'] as PortFileKind[]);
    assert.ok(selector.some((f) => f.language === 'dockercompose'));
    assert.ok(selector.some((f) => f.pattern === '**/.env'));
    assert.ok(selector.some((f) => f.language === 'dockerfile'));
    assert.ok(!selector.some((f) => f.language === 'typescript'));
    assert.ok(selector.every((f) => f.scheme === 'file' || f.scheme === 'untitled'));
    assert.deepEqual(portDocumentSelector([]), []);
  });

  it('reads a document with its own kind, or only for URLs when its kind is off and `other` is on', () => {
    assert.equal(documentKind(doc('/p/.env', 'properties'), all), 'env');
    assert.equal(documentKind(doc('/p/docker-compose.yml', 'yaml'), all), 'compose');
    assert.equal(documentKind(doc('/p/notes.txt', 'plaintext'), all), 'other');
    assert.equal(documentKind(doc('Untitled-1', 'dockercompose', 'untitled'), all), 'compose');
    assert.equal(documentKind(doc('/p/app.ts', 'typescript'), new Set<PortFileKind>(['other'])), 'other');
    assert.equal(documentKind(doc('/p/app.ts', 'typescript'), new Set<PortFileKind>(['env'])), undefined);
  });

  it('never reads binary or lock files, or documents that are not files (git, output, settings)', () => {
    assert.equal(documentKind(doc('/p/package-lock.json', 'json'), all), undefined);
    assert.equal(documentKind(doc('/p/logo.png', 'plaintext'), all), undefined);
    assert.equal(documentKind(doc('/p/.env', 'properties', 'git'), all), undefined);
    assert.equal(documentKind(doc('extension-output-#1', 'log', 'output'), all), undefined);
  });
});
