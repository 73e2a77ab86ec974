export { authdaemondMain } from './authdaemond.js';
export { authenumerateMain } from './authenumerate.js';
export {
  AUTHTEST_USAGE,
  type AuthtestArgs,
  authtestMain,
  formatAuthtestSuccess,
  parseAuthtestArgs,
} from './authtest.js';
export { makeuserdbMain } from './makeuserdb.js';
export { userdbMain } from './userdb.js';
export { userdbpwMain } from './userdbpw.js';
