// The one door to @napi-rs/canvas: every module takes the canvas API from here, so the allocator setting below is in
// the environment before the native module loads (ESM evaluates this module's imports in order).
import './canvas-allocator.ts';
export { createCanvas, GlobalFonts, Image, ImageData } from '@napi-rs/canvas';
export type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
