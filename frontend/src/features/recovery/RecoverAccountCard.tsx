"use client";

import dynamic from "next/dynamic";

/** The recovery card of the registration screen, loaded after the page: most visitors register. */
export const RecoverAccountCard = dynamic(() => import("./RecoverAccount").then((m) => m.RecoverAccount), {
  ssr: false,
});
