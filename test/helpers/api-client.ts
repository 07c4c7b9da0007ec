export { apiClient, type ApiResponse } from '../../src/bench/api-client';
export { applicationBody } from '../../src/bench/sample-applications';
