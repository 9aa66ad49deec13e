// The React recipe's page for the browser test (test/browser/recipes.e2e.ts): the README's code, mounted.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthClient } from '@authgate/client';
import { Account } from '../react';

const auth = new AuthClient({ namespace: 'react-recipe' }).start();
(window as unknown as { recipeAuth: AuthClient }).recipeAuth = auth;
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Account auth={auth} />
  </StrictMode>,
);
