/** The systems the API takes coordinates in: GPS (wgs84), AMap and Tencent (gcj02), Baidu (bd09). */
export const COORD_SYSTEMS = ['wgs84', 'gcj02', 'bd09'] as const;
