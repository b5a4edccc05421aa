import { register, type TestUser } from "@botschat/relay-testkit";

/** Register `count` users, a few at a time (password hashing is deliberately slow). */
export async function registerUsers(baseUrl: string, count: number, concurrency = 4): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (let i = 0; i < count; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - i) }, () => register(baseUrl));
    users.push(...(await Promise.all(batch)));
  }
  return users;
}
