/** Where the API is mounted; the printed verification link of a certificate is built on it too. */
export const API_PREFIX = '/api/v1';
