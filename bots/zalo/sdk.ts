/**
 * The one import of zca-js. Its published `index.d.ts` says `export * from "./dist"`, a
 * directory import that TypeScript's NodeNext resolution refuses for an ESM package, so
 * `import { ThreadType } from "zca-js"` type-checks as an empty module. The runtime import is
 * fine (`exports["."].default` = dist/index.js); the types are read from the same files by a
 * relative path. Everything else in bots/zalo imports the SDK from here.
 */
import * as zcaModule from "zca-js";
import type * as Zca from "../../node_modules/zca-js/dist/index.js";

export type { Zca };

const zca = zcaModule as unknown as typeof Zca;

export const { Zalo, ThreadType, CloseReason, LoginQRCallbackEventType, ZaloApiError, UserMessage, GroupMessage } = zca;
