// Golden tests (see golden.mjs) on the threaded build with a pool of 2 threads.
import { goldenSuite } from "./golden.mjs";

goldenSuite({ threads: 2 }, true);
