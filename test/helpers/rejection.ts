/** The AppError a promise rejects with; fails the test when it resolves or rejects with anything else. */
import { expect } from 'chai';
import { AppError } from '../../src/core/errors';

export async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a rejection');
}
