export { authdaemondMain } from './authdaemond.js';
export { authenumerateMain } from './authenumerate.js';
export { authtestMain } from './authtest.js';
export { makeuserdbMain } from './makeuserdb.js';
export { userdbMain } from './userdb.js';
export { userdbpwMain } from './userdbpw.js';
