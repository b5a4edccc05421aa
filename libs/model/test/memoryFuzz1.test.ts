import { memoryFuzzPart } from "./memoryFuzz.js";

memoryFuzzPart(1);
