import { StringDecoder } from 'node:string_decoder';

/**
 * The lines of a UTF-8 byte stream, without their '\n' (a last line without one included). A
 * character whose bytes fall across two chunks is decoded whole.
 */
export async function* textLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of chunks) {
    const text = carry + decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      yield text.slice(start, nl);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  const rest = carry + decoder.end();
  if (rest !== '') yield rest;
}
