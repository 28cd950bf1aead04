/**
 * The repositories a service uses, plus transaction(): its callback gets the same
 * repositories bound to one transaction, so a change and everything it causes commit or
 * fail together. Each service names the tables it needs (`Repos<{ users: UsersRepository }>`);
 * the composition root hands every service the same object, which has them all.
 * Inside the callback use only the repositories it is given (the embedded database has
 * one connection, held by the transaction).
 */
export type Repos<R> = R & { transaction<T>(work: (tx: R) => Promise<T>): Promise<T> };
