// Runs an async function over a list with at most `limit` calls in flight; results keep the list's order.
export async function mapPool<T, R>(list: readonly T[], limit: number, fn: (value: T, index: number) => Promise<R>): Promise<R[]> {
  if (!(Number.isInteger(limit) && limit >= 1)) throw new Error(`mapPool: the limit must be a positive integer, got ${limit}`);
  const out = new Array<R>(list.length);
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      out[i] = await fn(list[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  return out;
}
