import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractCode } from '../../vthinker/sandbox/extract.ts';

test('plain, fenced and language-tagged blocks', () => {
  assert.is(extractCode('<think>draw it <code>line 1 2 3 4</code>'), 'line 1 2 3 4');
  assert.is(extractCode('<code>\n```\npoint 5 5\n```\n</code>'), 'point 5 5');
  assert.is(extractCode('<code>```python\npoint 5 5\nline 1 2 3 4\n```</code>'), 'point 5 5\nline 1 2 3 4');
  assert.is(extractCode('<CODE> point 5 5 </Code>'), 'point 5 5');
});

test('the last complete block wins; none gives null', () => {
  const text = '<code>point 1 1</code> <sandbox_output><image></sandbox_output> then <code>point 2 2</code> and <code>point 3';
  assert.is(extractCode(text), 'point 2 2');
  assert.is(extractCode('no code here'), null);
  assert.is(extractCode('<code>never closed'), null);
  assert.is(extractCode('</code> before <code>'), null);
  assert.is(extractCode('<code></code>'), '');
  assert.is(extractCode(42 as unknown as string), null);
});

test.run();
