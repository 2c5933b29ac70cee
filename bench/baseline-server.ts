/** The baseline for bench:cloud: a bare Express app answering {} to the same POST. */
import { express } from '../src/http/express';

const app = express();
app.use(express.urlencoded({ extended: false }));
app.post('/api/v1/make_call', (_req, res) => {
  res.json({});
});
const server = app.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`"listen":"127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}"\n`);
});
