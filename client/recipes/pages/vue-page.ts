// The Vue recipe's page for the browser test (test/browser/recipes.e2e.ts): the README's code, mounted.
import { createApp, h } from 'vue';
import { AuthClient } from '@authgate/client';
import { Account } from '../vue';

const auth = new AuthClient({ namespace: 'vue-recipe' }).start();
(window as unknown as { recipeAuth: AuthClient }).recipeAuth = auth;
createApp({ render: () => h(Account, { auth }) }).mount('#root');
