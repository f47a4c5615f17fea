import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { refusal } from '../../api/client.ts';

/**
 * An API image fetched as a blob: URL, so a preview refreshes when `stamp` changes although its
 * address does not (a new logo behind the same qr.svg?logo=true), and a refusal reads as the API's.
 */
export function useImage(url: string, stamp: number) {
  const image = useQuery({
    queryKey: ['image', url, stamp],
    queryFn: async () => {
      const res = await fetch(url);
      if (!res.ok) throw refusal(res, await res.json().catch(() => null));
      return URL.createObjectURL(await res.blob());
    },
    staleTime: Infinity,
    gcTime: 0,
  });
  const src = image.data;
  useEffect(() => () => void (src && URL.revokeObjectURL(src)), [src]);
  return image;
}

/** The code's logo: whether it has one (404: none), and a stamp that changes with each upload or removal. */
export function useLogo(id: string) {
  return useQuery({
    queryKey: ['logo', id],
    queryFn: async () => ({ present: (await fetch(`/api/v1/codes/${id}/logo`)).ok, stamp: Date.now() }),
  });
}
