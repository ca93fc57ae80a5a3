import { HttpClient } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';

/** Saves an authenticated download (the bearer token is not sent by a plain link). */
export async function download(http: HttpClient, url: string, fileName: string): Promise<void> {
  const blob = await firstValueFrom(http.get(url, { responseType: 'blob' }));
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** The current year in Vietnam's time zone (training years follow it). */
export const currentYear = () => Number(new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
