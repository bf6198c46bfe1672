// A name that says what runs, from command lines as real dev servers show them in `ps -o args` (the
// shapes npm, npx, pnpm, venvs, Gradle, dotnet and code-server start them with).
import * as assert from 'node:assert/strict';
import { processLabel, whatRuns } from '../../src/core/whatRuns';

const cases: Array<[name: string, command: string, expected: string]> = [
  // --- node
  ['node', 'node /home/ana/shop/node_modules/.bin/vite', 'vite (node)'],
  ['node', 'node /home/ana/shop/node_modules/.bin/vite --port 5173 --host', 'vite (node)'],
  ['node', 'node /home/ana/shop/node_modules/vite/bin/vite.js', 'vite (node)'],
  ['node', 'node /home/ana/shop/node_modules/.bin/vite preview', 'vite preview (node)'],
  ['node', '/usr/bin/node /srv/web/node_modules/next/dist/bin/next dev', 'next dev (node)'],
  ['node', 'node /srv/web/node_modules/.bin/next start -p 3000', 'next start (node)'],
  ['node', 'node /srv/web/node_modules/.bin/nuxt dev', 'nuxt dev (node)'],
  ['node', 'node /srv/web/node_modules/@angular/cli/bin/ng.js serve', 'ng serve (node)'],
  ['node', 'node /srv/api/node_modules/@nestjs/cli/bin/nest.js start --watch', 'nest start (node)'],
  ['node', 'node /srv/web/node_modules/react-scripts/scripts/start.js', 'react-scripts (node)'],
  ['node', 'node /usr/lib/node_modules/npm/bin/npm-cli.js run dev', 'npm run dev (node)'],
  ['node', 'node /usr/lib/node_modules/npm/bin/npx-cli.js vite', 'vite (node)'],
  ['node', 'node server.js', 'server.js (node)'],
  ['node', 'node --inspect=9229 dist/main.js', 'main.js (node)'],
  ['node', 'node -r ts-node/register src/index.ts', 'index.ts (node)'],
  ['node', 'node --require dotenv/config --enable-source-maps build/server.mjs', 'server.mjs (node)'],
  ['node', 'node --import tsx ./app.ts', 'app.ts (node)'],
  ['node', '/usr/local/bin/node /usr/local/bin/http-server -p 8080', 'http-server (node)'],
  ['node', '/usr/lib/code-server/lib/node /usr/lib/code-server/out/node/entry.js', 'code-server (node)'],
  ['node', '/home/ana/.vscode-server/bin/abc123/node /home/ana/.vscode-server/bin/abc123/out/server-main.js --port 0', 'vscode-server (node)'],
  ['MainThread', '/opt/node20/bin/node20 /app/node_modules/.bin/astro dev', 'astro dev (node)'],
  ['node', 'node', 'node'],
  ['node', 'node -e require("http").createServer().listen(3000)', 'node'],
  ['node', 'node -e "require(\'http\').createServer().listen(3000)" extra.js', 'node'],
  ['python3', 'python3 -c import http.server; http.server.test()', 'python3 (python)'],
  // --- python
  ['python3', 'python3 -m uvicorn main:app --reload', 'uvicorn main:app (python)'],
  ['python', '/home/ana/api/.venv/bin/python3 /home/ana/api/.venv/bin/uvicorn main:app --port 8000', 'uvicorn main:app (python)'],
  ['python3', 'python3 manage.py runserver 0.0.0.0:8000', 'manage.py runserver (python)'],
  ['python3', '/usr/bin/python3 -u manage.py runserver', 'manage.py runserver (python)'],
  ['python3.11', '/usr/bin/python3.11 /srv/venv/bin/gunicorn -w 4 app:app', 'gunicorn (python)'],
  ['python3', 'python3 -m http.server 8000', 'http.server (python)'],
  ['python3', 'python3 -m flask run --port 5000', 'flask run (python)'],
  ['python', 'python -X dev -W ignore app.py', 'app.py (python)'],
  ['python3', 'python3 -mhttp.server', 'http.server (python)'],
  ['streamlit', '/srv/venv/bin/python /srv/venv/bin/streamlit run dashboard.py', 'streamlit run (python)'],
  ['jupyter-lab', '/usr/bin/python3 /usr/local/bin/jupyter-lab --no-browser', 'jupyter-lab (python)'],
  // --- java
  ['java', 'java -jar target/shop-0.0.1-SNAPSHOT.jar', 'shop-0.0.1-SNAPSHOT.jar (java)'],
  ['java', '/usr/lib/jvm/java-17/bin/java -Xmx512m -cp /app/lib/* com.example.shop.ShopApplication', 'ShopApplication (java)'],
  ['java', 'java -Dfile.encoding=UTF-8 -classpath /x/gradle-launcher.jar org.gradle.launcher.daemon.bootstrap.GradleDaemon 8.5', 'GradleDaemon (java)'],
  ['java', 'java --module-path mods -m com.shop/com.shop.Main', 'Main (java)'],
  // --- ruby
  ['ruby', 'ruby bin/rails server -p 3000', 'rails server (ruby)'],
  ['ruby', '/usr/bin/ruby /usr/local/bin/bundle exec rails s', 'rails s (ruby)'],
  ['ruby', 'ruby /usr/local/bin/jekyll serve --livereload', 'jekyll serve (ruby)'],
  // --- dotnet, bun, deno, php
  ['dotnet', 'dotnet run --project Api', 'dotnet run'],
  ['dotnet', 'dotnet watch run', 'dotnet watch run'],
  ['dotnet', 'dotnet bin/Debug/net8.0/Shop.Api.dll', 'Shop.Api.dll (dotnet)'],
  ['bun', 'bun run dev', 'bun run dev'],
  ['bun', 'bun --hot server.ts', 'server.ts (bun)'],
  ['deno', 'deno run -A --watch main.ts', 'deno run'],
  ['deno', 'deno task dev', 'deno task dev'],
  ['php', 'php -S localhost:8000 -t public', 'built-in server (php)'],
  ['php8.2', 'php8.2 artisan serve --port=8080', 'artisan serve (php)'],
  // --- not runtimes: the name as it is
  ['postgres', '/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql/16/main', 'postgres'],
  ['gunicorn', 'gunicorn: master [app:app]', 'gunicorn'],
  ['nginx', 'nginx: master process /usr/sbin/nginx', 'nginx'],
  ['vite', '', 'vite'],
];

describe('whatRuns / processLabel', () => {
  for (const [name, command, expected] of cases) {
    it(`${command || name} → ${expected}`, () => {
      assert.equal(processLabel({ name, command }), expected);
    });
  }

  it('names the runtime separately', () => {
    assert.deepEqual(whatRuns({ name: 'node', command: 'node node_modules/.bin/vite' }), { name: 'vite', runtime: 'node' });
    assert.deepEqual(whatRuns({ name: 'postgres', command: 'postgres -D x' }), { name: 'postgres' });
  });

  it('keeps hostile text bounded and as it is (surfaces escape it)', () => {
    const long = `node /tmp/${'a'.repeat(100_000)}.js`;
    assert.ok(processLabel({ name: 'node', command: long }).length <= 70);
    const hostile = 'node /tmp/[x](command:workbench.action.quit).js';
    assert.equal(processLabel({ name: 'node', command: hostile }), '[x](command:workbench.action.quit).js (node)');
    assert.equal(processLabel({ name: 'node', command: 'node \u001b[31mred.js' }), '\u001b[31mred.js (node)');
  });
});
