/** A copy of the project in `work/<times>x` whose every part has its chapters `times` times (synthetic.js). */
export function synthetic(work: string, times: number): Promise<string>;
