import serverConfig from '../../../eslint.server.mjs';

export default [...serverConfig];
