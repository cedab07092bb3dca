import { Card, CardContent, Stack, Typography } from '@mui/material';
import { CodeBlock } from '@/components/code-block';

/** The proxy URL and ready-to-copy client snippets for this server. */
export function ProxyUsage({ origin }: { origin: string }) {
  const baseUrl = `${origin}/v1`;
  const sdk = `import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: '${baseUrl}',
  apiKey: process.env.KEYPOOL_KEY, // master key or a client key
});

const reply = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hello!' }],
});
console.log(reply.choices[0].message.content);`;
  const curl = `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer $KEYPOOL_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}]}'`;
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" component="h2">
          Use the proxy
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Point any OpenAI-compatible client at this base URL. Anthropic clients use <code>{origin}</code>{' '}
          with <code>/v1/messages</code>; Gemini clients use <code>{origin}/v1beta</code>.
        </Typography>
        <Stack spacing={2}>
          <CodeBlock title="Base URL" code={baseUrl} />
          <CodeBlock title="OpenAI SDK (Node)" code={sdk} />
          <CodeBlock title="curl" code={curl} />
        </Stack>
      </CardContent>
    </Card>
  );
}
