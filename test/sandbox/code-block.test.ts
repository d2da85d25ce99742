// Which code a response asks to run and in which sandbox (sandbox/code-block.ts): the forms the paper's prompt and
// evaluation code accept (```python fences, '''python quotes, bare <code> bodies) and our drawing language.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { extractCode, extractCodeBlock, guessLanguage } from '../../vthinker/sandbox/code-block.ts';

test('a ```python fence inside <code>: python, without the fence', () => {
  const r = extractCodeBlock("<think> draw it <code>\n```python\nfrom PIL import Image\nprint(image_path)\n```\n</code>");
  assert.equal(r, { code: 'from PIL import Image\nprint(image_path)', lang: 'python' });
});

test("a '''python quote, with or without <code> around it (the official regex reads it anywhere)", () => {
  assert.equal(extractCodeBlock("<code>'''python\nx = 1\n'''</code>"), { code: 'x = 1', lang: 'python' });
  assert.equal(extractCodeBlock("I will run:\n'''python\nx = 2\n'''\nthen answer"), { code: 'x = 2', lang: 'python' });
});

test('a fence left open (the round stopped at </code> first) still yields its code', () => {
  assert.equal(extractCodeBlock('<code>\n```python\nx = 3\n</code>'), { code: 'x = 3', lang: 'python' });
});

test('bare <code> bodies: drawing operations are the drawing language, anything else python', () => {
  assert.equal(extractCodeBlock('<code> line 10 20 30 40\npoint 5 5 </code>'), { code: 'line 10 20 30 40\npoint 5 5', lang: 'draw' });
  assert.equal(extractCodeBlock('<code>import numpy as np\nprint(np.pi)</code>'), { code: 'import numpy as np\nprint(np.pi)', lang: 'python' });
  assert.equal(extractCodeBlock('<code>```draw\nline 1 2 3 4\n```</code>'), { code: 'line 1 2 3 4', lang: 'draw' });
  assert.is(guessLanguage('line(1, 2, 3, 4); point 3 3  # a comment'), 'draw');
  assert.is(guessLanguage('lines = [1, 2]'), 'python');
  assert.is(guessLanguage(''), 'python');
});

test('the last block is the one to run; a response without a block runs nothing', () => {
  assert.equal(extractCodeBlock('<code>point 1 1</code> <sandbox_output> <image> </sandbox_output> <code>point 2 2</code>'), { code: 'point 2 2', lang: 'draw' });
  assert.is(extractCodeBlock('<think> no code </think> <answer> 3 </answer>'), null);
  assert.is(extractCodeBlock("```\nx = 1\n```"), null, 'an untagged fence outside <code> is prose');
  assert.is(extractCodeBlock(undefined as unknown as string), null);
});

// extractCode: the policy's own rollouts.
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
