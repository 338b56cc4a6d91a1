export async function uiBenches(): Promise<import("./lib/report").BenchRow[]> { return []; }
