// Shared by the test files: the live server's address and admin account (scripts/conformance.sh
// exports them), fresh accounts, and assertions on rejections.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { SkyClustError } from "../src/index.js";

const env = {
  baseURL: process.env.SKYCLUST_BASE_URL,
  adminEmail: process.env.SKYCLUST_ADMIN_EMAIL,
  adminPassword: process.env.SKYCLUST_ADMIN_PASSWORD,
};
if (!env.baseURL || !env.adminEmail || !env.adminPassword) {
  throw new Error("SKYCLUST_BASE_URL, SKYCLUST_ADMIN_EMAIL and SKYCLUST_ADMIN_PASSWORD must be set (scripts/conformance.sh sets them)");
}
export const baseURL: string = env.baseURL;
export const adminEmail: string = env.adminEmail;
export const adminPassword: string = env.adminPassword;

export function fresh(): { username: string; email: string; password: string } {
  const name = `ts_${randomUUID().slice(0, 8)}`;
  return { username: name, email: `${name}@example.com`, password: `password-${name}` };
}

/** The SkyClustError `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<SkyClustError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SkyClustError, `expected a SkyClustError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

/** `promise`, or a failure after `ms` (so a missing event fails the test instead of hanging it). */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
