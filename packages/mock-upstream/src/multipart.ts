/** A file part of a multipart/form-data body. */
export interface MultipartFile {
  field: string;
  filename: string;
  size: number;
}

/** Finds the file parts of a multipart body (enough to echo what was uploaded, not a full parser). */
export function multipartFiles(contentType: string | undefined, body: Buffer): MultipartFile[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) {
    return [];
  }
  const delimiter = Buffer.from(`--${marker}`);
  const files: MultipartFile[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) {
      break;
    }
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const field = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      if (filename !== undefined) {
        // Part content sits between the blank line and the CRLF before the next delimiter.
        files.push({ field, filename, size: Math.max(0, part.length - (headerEnd + 4) - 2) });
      }
    }
    start = next;
  }
  return files;
}

/** Plain (non-file) fields of a multipart body, e.g. `model`. */
export function multipartField(
  contentType: string | undefined,
  body: Buffer,
  name: string,
): string | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) {
    return undefined;
  }
  const text = body.toString('latin1');
  const re = new RegExp(
    `name="${name}"\\r\\n\\r\\n([\\s\\S]*?)\\r\\n--${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
  );
  return re.exec(text)?.[1];
}
