/** Answers carry no ETag: hashing every body would cost each page a SHA-1 no client asks for. */
import { expect } from 'chai';
import { startApp, RunningApp, CLOUD_TOKEN } from '../helpers/app';

describe('http answers', () => {
  let a: RunningApp;
  before(async () => {
    a = await startApp();
  });
  after(() => a.close());

  it('carry no ETag (the API and the status page are made per request)', async () => {
    for (const path of ['/api/v1/info', '/healthz']) {
      const res = await fetch(`${a.url}${path}`, { headers: { authorization: CLOUD_TOKEN } });
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('etag'), path).to.equal(null);
    }
  });
});
