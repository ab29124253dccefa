export declare const NODE_RANGE: string;
export declare function nodeSupported(version: string): boolean;
