import { describe, expect, it } from 'vitest';
import { isConnectionLoss } from '../../src/data/connection-loss.js';

const pgError = (code: string, message = 'server said so') => Object.assign(new Error(message), { code });

describe('connection loss', () => {
  it.each([
    ['a terminated backend or failover (57P01)', pgError('57P01')],
    ['a crash shutdown (57P02)', pgError('57P02')],
    ['a server starting or stopping (57P03)', pgError('57P03')],
    ['a connection exception (class 08)', pgError('08006')],
    ['a reset socket', pgError('ECONNRESET')],
    ['a refused connection', pgError('ECONNREFUSED')],
    ["pg's own end-of-socket error", new Error('Connection terminated unexpectedly')],
    ['a client marked broken', new Error('Client has encountered a connection error and is not queryable')],
  ])('is %s', (_label, error) => {
    expect(isConnectionLoss(error)).toBe(true);
  });

  it.each([
    ['a statement timeout (57014)', pgError('57014')],
    ['a unique violation (23505)', pgError('23505')],
    ['a NUL in text (22021)', pgError('22021')],
    ['a permission error (42501)', pgError('42501')],
    ['a plain error', new Error('boom')],
    ['not an error', 'Connection terminated'],
    ['nothing', undefined],
  ])('is not %s', (_label, error) => {
    expect(isConnectionLoss(error)).toBe(false);
  });
});
