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

/** The message a promise rejects with, whatever threw it (a database trigger, a plain Error). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}
