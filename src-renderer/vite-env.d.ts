/** Vite's asset imports used by the renderer. */
declare module '*?worker&url' {
  const url: string;
  export default url;
}
