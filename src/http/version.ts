/** The API's version, in the OpenAPI document and the MCP server's handshake. */
export const API_VERSION = '0.1.0';
