import { memoryFuzzPart } from "./memoryFuzz.js";

memoryFuzzPart(2);
